/** The leads list's keys live in lib, where the server normalises saved views through them too. */
export { LIST_KEYS, listQueryString, viewQueryString } from "@/lib/leads/list-keys";
