/**
 * A stored number (E.164, with ;ext= when there is one) as people read it, in the browser, where
 * the phone library is too heavy to load for a list: North American numbers in their national
 * form, (612) 555-0142 ext. 12, as the server writes them (lib/leads/phone.ts formatPhone);
 * others as stored.
 */
export function displayPhone(e164: string): string {
  const [number = "", ext] = e164.split(";ext=");
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  const shown = nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : number;
  return ext ? `${shown} ext. ${ext}` : shown;
}
