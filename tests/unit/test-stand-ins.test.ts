import nodemailer, { type Transporter } from "nodemailer";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import { type PushService, startPushService, verifyVapid } from "../support/push-service";
import { type SmtpStandIn, startSmtp } from "../support/smtp";
import { signTwilioRequest, startTwilio, type TwilioStandIn } from "../support/twilio";

describe("the push service stand-in", () => {
  let service: PushService;
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service.close());
  const vapid = webpush.generateVAPIDKeys();
  const send = (subscription: webpush.PushSubscription, payload: string) =>
    webpush.sendNotification(subscription, payload, {
      vapidDetails: { subject: "mailto:test@example.com", ...vapid },
      TTL: 60,
      agent: service.agent,
    });

  it("decrypts what web-push encrypts, and accepts its VAPID signature", async () => {
    const subscription = service.subscription();
    const payload = JSON.stringify({ title: "New lead", body: "Jane Doe, roof repair — ünïcode" });

    const sent = await send(subscription, payload);

    expect(sent.statusCode).toBe(201);
    const request = service.received.at(-1)!;
    expect(request.path).toBe(new URL(subscription.endpoint).pathname);
    expect(request.headers["content-encoding"]).toBe("aes128gcm");
    expect(request.headers.ttl).toBe("60");
    expect(subscription.decrypt(request.body)).toBe(payload);
    expect(verifyVapid(request.headers, subscription.endpoint)).toEqual({
      subject: "mailto:test@example.com",
      publicKey: vapid.publicKey,
    });
  });

  it("refuses what another subscription, endpoint or key did not send", async () => {
    const subscription = service.subscription();
    await send(subscription, "for this one only");
    const request = service.received.at(-1)!;

    expect(() => service.subscription().decrypt(request.body)).toThrow();
    expect(() => verifyVapid(request.headers, "https://push.example.net/push/x")).toThrow(/aud/);
    const otherKey = webpush.generateVAPIDKeys().publicKey;
    const forged = String(request.headers.authorization).replace(/k=.*$/, `k=${otherKey}`);
    expect(() => verifyVapid({ authorization: forged }, subscription.endpoint)).toThrow(/signature/);
    expect(() => verifyVapid({}, subscription.endpoint)).toThrow(/vapid/);
  });

  it("answers a gone subscription with 410, which rejects sendNotification", async () => {
    const subscription = service.subscription();
    service.answer(subscription.endpoint, 410);

    await expect(send(subscription, "gone")).rejects.toMatchObject({ statusCode: 410 });
    await expect(send(service.subscription(), "another")).resolves.toMatchObject({ statusCode: 201 });
  });
});

describe("the Twilio stand-in", () => {
  const account = { accountSid: `AC${"0".repeat(31)}1`, authToken: "test-auth-token" };
  let stand: TwilioStandIn;
  beforeAll(async () => {
    stand = await startTwilio(account);
  });
  afterAll(() => stand.close());
  const sendSms = (authToken: string, form: Record<string, string>) =>
    fetch(`${stand.origin}/2010-04-01/Accounts/${account.accountSid}/Messages.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountSid}:${authToken}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(form),
    });
  const sms = { To: "+15005550006", From: "+15005550001", Body: "New lead: Jane Doe" };

  it("creates a message for the account's credentials", async () => {
    const response = await sendSms(account.authToken, { ...sms, StatusCallback: "https://example.com/cb" });

    expect(response.status).toBe(201);
    const created = (await response.json()) as { sid: string };
    expect(created).toMatchObject({ status: "queued", to: sms.To, from: sms.From, body: sms.Body });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(stand.messages.at(-1)).toEqual({
      sid: created.sid,
      to: sms.To,
      from: sms.From,
      body: sms.Body,
      statusCallback: "https://example.com/cb",
    });
  });

  it("answers a wrong token with 401, and scripted failures with Twilio's errors", async () => {
    const count = stand.messages.length;
    const unauthorized = await sendSms("wrong-token", sms);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ code: 20003, status: 401 });

    stand.failNext(400);
    const unsubscribed = await sendSms(account.authToken, sms);
    expect(unsubscribed.status).toBe(400);
    expect(await unsubscribed.json()).toMatchObject({
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    stand.failNext(500, 2);
    expect((await sendSms(account.authToken, sms)).status).toBe(500);
    expect((await sendSms(account.authToken, sms)).status).toBe(500);
    expect(stand.messages).toHaveLength(count);
    expect((await sendSms(account.authToken, sms)).status).toBe(201);
  });

  it("signs a webhook as twilio's own validateRequest expects", () => {
    const url = "https://portal.example.com/api/sms/status?form=contact";
    const params = { MessageSid: `SM${"a".repeat(32)}`, MessageStatus: "delivered", To: sms.To };

    const signature = signTwilioRequest(account.authToken, url, params);

    expect(twilio.validateRequest(account.authToken, signature, url, params)).toBe(true);
    expect(twilio.validateRequest("another-token", signature, url, params)).toBe(false);
    expect(twilio.validateRequest(account.authToken, signature, url, { ...params, To: "+1" })).toBe(false);
  });
});

describe("the SMTP stand-in", () => {
  let smtp: SmtpStandIn;
  let transport: Transporter;
  beforeAll(async () => {
    smtp = await startSmtp({ user: "portal", pass: "s3cret/+" });
    transport = nodemailer.createTransport(smtp.url);
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
  });
  const message = {
    from: "Lead Portal <noreply@example.com>",
    to: "owner@example.com",
    replyTo: "jane@example.net",
    subject: "New lead: Jane Doe",
    text: "Jane Doe asked about a roof repair.",
  };

  it("parses a mail sent with nodemailer", async () => {
    await transport.sendMail(message);

    const mail = await smtp.waitForMail((m) => m.subject === message.subject);
    expect(mail).toMatchObject({
      from: '"Lead Portal" <noreply@example.com>',
      to: ["owner@example.com"],
      text: `${message.text}\n`,
      html: null,
      replyTo: "jane@example.net",
      envelopeFrom: "noreply@example.com",
      envelopeTo: ["owner@example.com"],
    });
    expect(mail.headers.get("subject")).toBe(message.subject);
  });

  it("refuses the next message with the code it is given", async () => {
    const count = smtp.mails.length;
    smtp.refuse(550, 1);

    await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 550 });
    expect(smtp.mails).toHaveLength(count);
    await transport.sendMail({ ...message, subject: "After the refusal" });
    await smtp.waitForMail((m) => m.subject === "After the refusal");
  });

  it("refuses a wrong password", async () => {
    const wrong = nodemailer.createTransport(smtp.url.replace("s3cret", "wrong"));
    await expect(wrong.sendMail(message)).rejects.toMatchObject({ responseCode: 535 });
    wrong.close();
  });
});
