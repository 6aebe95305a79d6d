// The few host APIs the engine may use. Each is a WHATWG/ECMAScript-adjacent standard present in
// Node 20, Electron, browsers and workers alike; declaring them here (rather than pulling in the DOM
// or Node typings) keeps shared/ from growing a dependency on either host.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  constructor();
  encode(input?: string): Uint8Array;
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare function queueMicrotask(callback: () => void): void;
