"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";
import { Field } from "@/components/ui/field";

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  lastSignInAt: string | null;
}

export function Users({ users, me }: { users: UserRow[]; me: string }) {
  const router = useRouter();
  const empty = { name: "", email: "", password: "", role: "member" };
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const bind = (key: keyof typeof empty) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });

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
        <table className="data">
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
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : "never"}</td>
                <td>
                  {u.id === me ? (
                    <span className="muted">you</span>
                  ) : (
                    <button type="button" className="danger" onClick={() => void remove(u)}>
                      Remove
                    </button>
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
        <h2 style={{ marginTop: 0 }}>Add a user</h2>
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
