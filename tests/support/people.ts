/**
 * Submissions for the concurrency checks: `people` persons, `perPerson` submissions each, every
 * one carrying the person's email (in varied case) and a tag of its own, most also their phone in
 * one of several formats. Whatever order they arrive in, one sequential run makes one lead a person.
 */
export function submissions(people: number, perPerson: number, runId: string) {
  const bodies: Record<string, unknown>[] = [];
  const formats = [
    (n: string) => `(612) 555-01${n}`,
    (n: string) => `612.555.01${n}`,
    (n: string) => `+1 612 555 01${n}`,
    (n: string) => `61255501${n}`,
  ];
  for (let p = 0; p < people; p++) {
    const n = String(p).padStart(2, "0");
    const email = `person${p}.${runId}@example.com`;
    for (let s = 0; s < perPerson; s++) {
      const body: Record<string, unknown> = {
        name: `Person ${p}`,
        email: s % 2 === 0 ? email : email.toUpperCase(),
        tags: [`p${p}-s${s}`],
      };
      // Every third submission has no phone: those match by email alone.
      if (s % 3 !== 2) body.phone = formats[s % formats.length]!(n);
      bodies.push(body);
    }
  }
  return bodies;
}
