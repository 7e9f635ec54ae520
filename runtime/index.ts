// What an algo author imports: `import { Algo, register, ... } from "sequence-algo/runtime"`.
export * from "./fixed";
export * from "./events";
export { Book, BOOK_LEVELS } from "./book";
export { Algo, register } from "./algo";
export { Account, qtyFor } from "./account";
export { OpenOrders, MAX_OPEN_ORDERS } from "./orders";
export { params } from "./params";
export { log } from "./log";
export * from "./indicators";
export * from "./technical";
