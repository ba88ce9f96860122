// The one interface every platform's watermark implements (chosen in index.ts).
export interface Watermark {
  show(text: string): Promise<void>;
  hide(): Promise<void>;
  close(): Promise<void>;
}
