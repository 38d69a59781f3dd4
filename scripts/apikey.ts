import { runCommand } from "./command";
import { apikeyCommand } from "./commands/apikey";

runCommand(apikeyCommand);
