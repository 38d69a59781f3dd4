"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import type { BusinessHours } from "@/lib/company/hours";
import type { CompanyProfile } from "@/lib/company/profile";
import { fetchJson } from "./fetch-json";
import { failure, FormStatus } from "./form-state";

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The profile as the page edits it: the phone as people write it, empty texts for none. */
export type ProfileView = Omit<CompanyProfile, "id" | "slug" | "portalUrl" | "phone" | "replyTo"> & {
  phone: string;
  replyTo: string;
};

/** Reads a picked image as a data: URL; the server checks its bytes and size. */
function readImage(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsDataURL(file);
  });
}

/** The company's profile: what forms, alerts and auto-replies say of the business, and its hours. */
export function CompanySettings({ profile, zones }: { profile: ProfileView; zones: string[] }) {
  const router = useRouter();
  const [name, setName] = useState(profile.name);
  const [phone, setPhone] = useState(profile.phone);
  const [replyTo, setReplyTo] = useState(profile.replyTo);
  const [logo, setLogo] = useState(profile.logo);
  const [color, setColor] = useState(profile.color ?? "#0f766e");
  const [timeZone, setTimeZone] = useState(() =>
    profile.timeZoneChosen ? profile.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [hours, setHours] = useState(profile.businessHours);
  const [replyWithin, setReplyWithin] = useState(profile.replyWithin);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  const setDay = (index: number, value: BusinessHours[number]) =>
    setHours((current) => current.map((day, i) => (i === index ? value : day)));

  async function save() {
    setBusy(true);
    try {
      await fetchJson("/api/admin/settings", {
        method: "PATCH",
        body: { name, phone, replyTo, logo, color, timeZone, businessHours: hours, replyWithin },
      });
      setErrors({});
      setFailed(false);
      setStatus("Saved. Forms, alerts and auto-replies use the new profile from now on.");
      router.refresh();
    } catch (error) {
      const result = failure(error, "The settings could not be saved.");
      setErrors(result.fields);
      setFailed(true);
      setStatus(result.status);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <FormStatus status={status} failed={failed} />
      <div className="grid-2">
        <Field id="name" label="Business name" error={errors.name}>
          {(aria) => <input {...aria} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <Field id="phone" label="Phone" hint="Shown to visitors and in auto-replies" error={errors.phone}>
          {(aria) => (
            <input
              {...aria}
              value={phone}
              type="tel"
              autoComplete="tel"
              onChange={(e) => setPhone(e.target.value)}
            />
          )}
        </Field>
        <Field
          id="replyTo"
          label="Reply-to email"
          hint="Where customers' replies to auto-replies go"
          error={errors.replyTo}
        >
          {(aria) => (
            <input {...aria} value={replyTo} type="email" onChange={(e) => setReplyTo(e.target.value)} />
          )}
        </Field>
        <Field
          id="replyWithin"
          label="You reply within"
          hint="As auto-replies say it: 2 hours, 1 business day"
          error={errors.replyWithin}
        >
          {(aria) => <input {...aria} value={replyWithin} onChange={(e) => setReplyWithin(e.target.value)} />}
        </Field>
        <Field id="color" label="Colour" error={errors.color}>
          {(aria) => (
            <input {...aria} value={color} type="color" onChange={(e) => setColor(e.target.value)} />
          )}
        </Field>
        <Field id="logo" label="Logo" hint="PNG, JPEG or WebP, under 150 KB" error={errors.logo}>
          {(aria) => (
            <div className="logo-pick">
              {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL, not an optimisable asset */}
              {logo ? <img src={logo} alt="Your logo" height={48} /> : null}
              <input
                {...aria}
                type="file"
                accept="image/png,image/jpeg,image/webp"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file)
                    void readImage(file).then(setLogo, () =>
                      setErrors({ logo: "The file could not be read" }),
                    );
                }}
              />
              {logo ? (
                <button type="button" onClick={() => setLogo(null)}>
                  Remove logo
                </button>
              ) : null}
            </div>
          )}
        </Field>
      </div>
      <h2>Business hours</h2>
      <Field
        id="timeZone"
        label="Time zone"
        hint={profile.timeZoneChosen ? undefined : "Not saved yet: this is your browser's. Save to keep it."}
        error={errors.timeZone}
      >
        {(aria) => (
          <select {...aria} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {zones.map((zone) => (
              <option key={zone}>{zone}</option>
            ))}
          </select>
        )}
      </Field>
      <table className="hours">
        <caption className="sr-only">Opening hours per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Open</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {DAYS.map((day, i) => {
            const value = hours[i] ?? null;
            return (
              <tr key={day}>
                <th scope="row">
                  <abbr title={day}>{day.slice(0, 3)}</abbr>
                </th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Open on ${day}`}
                    checked={value !== null}
                    onChange={(e) => setDay(i, e.target.checked ? { open: "08:00", close: "18:00" } : null)}
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`${day} opens`}
                    disabled={value === null}
                    value={value?.open ?? ""}
                    onChange={(e) => value && setDay(i, { ...value, open: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`${day} closes`}
                    disabled={value === null}
                    value={value?.close ?? ""}
                    onChange={(e) => value && setDay(i, { ...value, close: e.target.value })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {errors.businessHours ? <p className="error">{errors.businessHours}</p> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
