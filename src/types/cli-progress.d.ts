// The part of cli-progress 3.12 that `jindu import` uses (the package ships no types).
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: { stream?: NodeJS.WritableStream; hideCursor?: boolean; format?: string });
    start(total: number, start: number): void;
    update(value: number): void;
    stop(): void;
  }
}
