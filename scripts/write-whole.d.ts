/** Writes `text` to `file` whole: under a temporary name of this call's own, then renamed into place (write-whole.js). */
export function writeWhole(file: string, text: string): void;
