"use client";

import { useEffect, useState } from "react";
import { fetchJson } from "./fetch-json";

type State = "checking" | "unsupported" | "install" | "denied" | "off" | "on" | "busy";

/** The VAPID public key as the Push API takes it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** What the device calls itself, for the user's list of devices. */
function deviceLabel(): string {
  const ua = navigator.userAgent;
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac/.test(ua)
        ? "Mac"
        : /Windows/.test(ua)
          ? "Windows"
          : "Linux";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "Browser";
  return `${browser} on ${os}`;
}

/**
 * Push alerts on this device: the service worker (public/sw.js) registered, notifications allowed,
 * and the browser's subscription kept for this user. iOS offers push only to the portal added to
 * the home screen, so there it says how.
 */
export function PushDevice({ publicKey }: { publicKey: string }) {
  const [state, setState] = useState<State>("checking");
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
        const ios = /iPhone|iPad/.test(navigator.userAgent);
        setState(ios ? "install" : "unsupported");
        return;
      }
      if (Notification.permission === "denied") {
        setState("denied");
        return;
      }
      const registration = await navigator.serviceWorker.getRegistration("/");
      const subscription = await registration?.pushManager.getSubscription();
      setState(subscription ? "on" : "off");
    })();
  }, []);

  async function turnOn() {
    setState("busy");
    setMessage(null);
    try {
      const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
      if ((await Notification.requestPermission()) !== "granted") {
        setState("denied");
        return;
      }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      });
      const json = subscription.toJSON();
      await fetchJson("/api/admin/account/push", {
        method: "POST",
        body: { endpoint: json.endpoint, keys: json.keys, label: deviceLabel() },
      });
      setState("on");
      setMessage("Alerts are on for this device.");
    } catch {
      setState("off");
      setMessage("Alerts could not be turned on here. Try again, or use another browser.");
    }
  }

  async function turnOff() {
    setState("busy");
    const registration = await navigator.serviceWorker.getRegistration("/");
    const subscription = await registration?.pushManager.getSubscription();
    if (subscription) {
      await fetchJson("/api/admin/account/push", {
        method: "DELETE",
        body: { endpoint: subscription.endpoint },
      });
      await subscription.unsubscribe();
    }
    setState("off");
    setMessage("Alerts are off for this device.");
  }

  return (
    <div className="card push-device">
      <p role="status" aria-live="polite">
        {
          {
            checking: "Checking this device…",
            unsupported: "This browser cannot show push alerts.",
            install:
              "On an iPhone or iPad, add the portal to your home screen first (Share, then Add to Home Screen), open it from there, and turn alerts on here.",
            denied:
              "Notifications are blocked for this site. Allow them in the browser's site settings, then reload.",
            off: "Push alerts are off on this device.",
            on: "Push alerts are on for this device.",
            busy: "One moment…",
          }[state]
        }
      </p>
      {message ? <p className="muted">{message}</p> : null}
      {state === "off" ? (
        <button type="button" className="primary" onClick={() => void turnOn()}>
          Turn on alerts on this device
        </button>
      ) : null}
      {state === "on" ? (
        <button type="button" onClick={() => void turnOff()}>
          Turn off alerts on this device
        </button>
      ) : null}
    </div>
  );
}
