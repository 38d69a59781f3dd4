"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { fetchJson, RequestFailed } from "./fetch-json";
import { useTextFields } from "./form-state";
import { DateTime } from "@/components/ui/date-time";
import { Field } from "@/components/ui/field";
import type { listUsers, userUpdateSchema } from "@/lib/auth/users";
import type { Role } from "@/lib/db/schema";

type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

export function Users({ users, me }: { users: UserRow[]; me: string }) {
  const router = useRouter();
  const empty = { name: "", email: "", password: "", role: "member" };
  const [values, setValues, bind] = useTextFields(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);

  async function add() {
    try {
      await fetchJson("/api/admin/users", { method: "POST", body: values });
      setStatus(`${values.email} can now sign in.`);
      setValues(empty);
      setErrors({});
      router.refresh();
    } catch (error) {
      setStatus(null);
      setErrors(error instanceof RequestFailed ? error.fields : { email: "The user could not be added." });
    }
  }

  const [resetting, setResetting] = useState<{ id: string; password: string; error: string | null } | null>(
    null,
  );

  async function update(user: UserRow, body: z.input<typeof userUpdateSchema>, done: string) {
    try {
      await fetchJson(`/api/admin/users/${user.id}`, { method: "PATCH", body });
      setStatus(done);
      setResetting(null);
      router.refresh();
    } catch (error) {
      const message =
        error instanceof RequestFailed
          ? (Object.values(error.fields)[0] ?? error.message)
          : "The change could not be saved.";
      if (body.password !== undefined) setResetting({ id: user.id, password: body.password, error: message });
      else setStatus(message);
    }
  }

  async function remove(user: UserRow) {
    if (!window.confirm(`Remove ${user.email}? They are signed out at once.`)) return;
    try {
      await fetchJson(`/api/admin/users/${user.id}`, { method: "DELETE" });
      router.refresh();
    } catch (error) {
      setStatus(error instanceof RequestFailed ? error.message : "The user could not be removed.");
    }
  }

  return (
    <>
      <p role="status" aria-live="polite" className="notice" hidden={!status}>
        {status}
      </p>
      <div className="table-wrap">
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td className="title">{u.email}</td>
                <td data-label="Name">{u.name}</td>
                <td data-label="Role">
                  {u.id === me ? (
                    u.role
                  ) : (
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      onChange={(e) => {
                        const role: Role = e.target.value === "admin" ? "admin" : "member";
                        void update(
                          u,
                          { role },
                          `${u.email} is now ${role === "admin" ? "an admin" : "a member"}.`,
                        );
                      }}
                    >
                      <option value="member">member</option>
                      <option value="admin">admin</option>
                    </select>
                  )}
                </td>
                <td data-label="Last sign-in">
                  <DateTime value={u.lastSignInAt} fallback="never" />
                </td>
                <td className="actions">
                  {u.id === me ? (
                    <span className="muted">you</span>
                  ) : resetting?.id === u.id ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void update(
                          u,
                          { password: resetting.password },
                          `${u.email} has a new password; their sessions ended.`,
                        );
                      }}
                    >
                      <label htmlFor={`reset-${u.id}`} className="sr-only">
                        New password for {u.email}
                      </label>
                      <input
                        id={`reset-${u.id}`}
                        type="password"
                        autoComplete="new-password"
                        value={resetting.password}
                        aria-invalid={Boolean(resetting.error)}
                        aria-describedby={resetting.error ? `reset-${u.id}-error` : undefined}
                        onChange={(e) => setResetting({ id: u.id, password: e.target.value, error: null })}
                      />{" "}
                      <button type="submit">Save</button>{" "}
                      <button type="button" onClick={() => setResetting(null)}>
                        Cancel
                      </button>
                      {resetting.error ? (
                        <span className="error" id={`reset-${u.id}-error`}>
                          {" "}
                          {resetting.error}
                        </span>
                      ) : null}
                    </form>
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() => setResetting({ id: u.id, password: "", error: null })}
                      >
                        Set a new password
                      </button>{" "}
                      <button type="button" className="danger" onClick={() => void remove(u)}>
                        Remove
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="card"
        style={{ marginTop: "1rem" }}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h2>Add a user</h2>
        <div className="grid-2">
          <Field id="user-email" label="Email" error={errors.email}>
            {(aria) => <input {...aria} {...bind("email")} type="email" autoComplete="off" />}
          </Field>
          <Field id="user-name" label="Name" error={errors.name}>
            {(aria) => <input {...aria} {...bind("name")} autoComplete="off" />}
          </Field>
          <Field
            id="user-password"
            label="Password"
            hint="At least 10 characters; they can sign in with it at once"
            error={errors.password}
          >
            {(aria) => <input {...aria} {...bind("password")} type="password" autoComplete="new-password" />}
          </Field>
          <Field
            id="user-role"
            label="Role"
            hint="Members see only the leads assigned to them"
            error={errors.role}
          >
            {(aria) => (
              <select {...aria} {...bind("role")}>
                <option value="member">Member</option>
                <option value="admin">Admin</option>
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="primary">
          Add user
        </button>
      </form>
    </>
  );
}
