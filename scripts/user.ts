import { runCommand } from "./command";
import { userCommand } from "./commands/user";

runCommand(userCommand);
