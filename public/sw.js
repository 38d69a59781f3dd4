// The admin's service worker: it shows lead alerts pushed to this device (lib/alerts/push.ts) and
// opens the lead, or calls the customer, when one is tapped. It handles no fetches, so the portal's
// pages and forms load as they would without it.

self.addEventListener("push", (event) => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch {
    alert = { title: "New lead", body: event.data ? event.data.text() : "" };
  }
  const actions = alert.call
    ? [
        { action: "call", title: "Call" },
        { action: "open", title: "Open" },
      ]
    : [];
  event.waitUntil(
    self.registration.showNotification(alert.title || "New lead", {
      body: alert.body || "",
      tag: alert.tag,
      renotify: Boolean(alert.tag),
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      data: { url: alert.url || "/admin/leads", call: alert.call || null },
      actions,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, call } = event.notification.data || {};
  const target = event.action === "call" && call ? call : url || "/admin/leads";
  event.waitUntil(
    (async () => {
      if (!target.startsWith("tel:")) {
        const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
        const open = windows.find((client) => client.url === target);
        if (open) return open.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});
