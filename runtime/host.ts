// The raw host imports: every function the module may call on its host.
// This file and exports.ts are the only places in the runtime that know the
// raw ABI; docs/abi.md is their specification and harness/host.ts the host's side.
// All imports live in the one namespace "sequence".

/** Submits an order; returns its id (> 0). price 0 = market order. */
@external("sequence", "place")
export declare function host_place(side: i32, price_1e9: i64, qty_1e8: i64, tif: i32): i64;

/** Requests cancellation; returns 1 if the order was open, 0 if unknown or done. */
@external("sequence", "cancel")
export declare function host_cancel(order_id: i64): i32;

/** Requests cancellation of every open order; returns how many were open. */
@external("sequence", "cancel_all")
export declare function host_cancel_all(): i32;

/** Asks for an on_timer(timer_id) callback at simulated/edge time at_ns. */
@external("sequence", "set_timer")
export declare function host_set_timer(at_ns: i64, timer_id: i32): void;

/** A log line: UTF-16LE text at ptr, len in bytes. level 0 debug, 1 info, 2 warn, 3 error. */
@external("sequence", "log")
export declare function host_log(level: i32, ptr: usize, len: i32): void;

/**
 * A named parameter as a fixed-point integer with `decimals` decimal places
 * (0 for plain integers); the host returns `fallback` when it was not set.
 */
@external("sequence", "param")
export declare function host_param(name_ptr: usize, name_len: i32, fallback: i64, decimals: i32): i64;

/** The module failed (assertion, overflow, explicit abort); never returns. */
@external("sequence", "panic")
export declare function host_panic(msg_ptr: usize, msg_len: i32, file_ptr: usize, file_len: i32, line: i32, column: i32): void;

/**
 * One figure of the account, exact, USD 1e9 (ABI 1.2; the fee rates, 1.3): the field codes are
 * the ACCOUNT_* constants below. Read by runtime/account.ts.
 */
@external("sequence", "account")
export declare function host_account(field: i32): i64;

export const ACCOUNT_CAPITAL: i32 = 0;
export const ACCOUNT_CASH: i32 = 1;
export const ACCOUNT_EQUITY: i32 = 2;
export const ACCOUNT_REALIZED_PNL: i32 = 3;
export const ACCOUNT_UNREALIZED_PNL: i32 = 4;
export const ACCOUNT_FEES: i32 = 5;
/** ABI 1.3: the venue's fee rates, in 1e-4 bps (a 1.2 host answers 0). */
export const ACCOUNT_MAKER_FEE_RATE: i32 = 6;
export const ACCOUNT_TAKER_FEE_RATE: i32 = 7;
