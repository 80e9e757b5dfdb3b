import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A throwaway repository root in the system temp folder, never the real files. */
export interface Fixture {
  root: string;
  write(path: string, text: string): string;
  copyFrom(realRoot: string, path: string): void;
  remove(): void;
}

export function createFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), "docs-tools-"));
  return {
    root,
    write(path, text) {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    copyFrom(realRoot, path) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      cpSync(join(realRoot, path), join(root, path), { recursive: true });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
