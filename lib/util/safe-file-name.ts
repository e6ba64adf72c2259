/**
 * A file name made only of safe characters: no path separators, no "..",
 * nothing a shell or a Windows share chokes on. Never trust a name that
 * comes from data (tenant names, invoice numbers) as a path.
 */
export function safeFileName(...parts: string[]): string {
  const name = parts
    .map((p) => p.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+|_+$/g, ""))
    .filter(Boolean)
    .join("_")
    .slice(0, 120);
  return name || "file";
}
