import { runCommand } from "./command";
import { formCommand } from "./commands/form";

runCommand(formCommand);
