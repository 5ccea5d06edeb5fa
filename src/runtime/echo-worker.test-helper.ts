// A TypeScript worker for module-file.test.ts: the type annotations prove tsx's loader reached the thread.
export default function double(value: number): number {
  return value * 2;
}
