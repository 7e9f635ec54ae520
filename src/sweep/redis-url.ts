/** `--queue <url>` of `algo sweep` and `algo worker`: checked as the command line is read, before anything runs. */
import { InvalidArgumentError } from "commander";

export function redisUrl(value: string): string {
  if (!/^rediss?:\/\/[^/]/.test(value)) throw new InvalidArgumentError("expected a Redis URL, e.g. redis://127.0.0.1:6379");
  return value;
}
