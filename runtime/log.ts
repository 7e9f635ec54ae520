import { host_log } from "./host";

// Logging goes to the host (backtest report, edge log ring buffer, traces).
// Building the message string allocates: log on events, not on every tick.
export namespace log {
  export function debug(message: string): void {
    host_log(0, changetype<usize>(message), message.length << 1);
  }
  export function info(message: string): void {
    host_log(1, changetype<usize>(message), message.length << 1);
  }
  export function warn(message: string): void {
    host_log(2, changetype<usize>(message), message.length << 1);
  }
  export function error(message: string): void {
    host_log(3, changetype<usize>(message), message.length << 1);
  }
}
