import { appSecret } from "@/lib/secret";

/** Prints the signing secret this process's settings give (a fresh process, as the app starts). */
process.stdout.write(await appSecret());
