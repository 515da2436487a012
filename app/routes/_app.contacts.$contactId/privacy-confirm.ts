/** The typed confirmation names the contact: case and runs of spaces aside, as both sides check it. */
export function confirmsName(typed: string, name: string): boolean {
  const normalize = (text: string) => text.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase();
  return normalize(typed) !== "" && normalize(typed) === normalize(name);
}
