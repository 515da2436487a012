import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvParseOptions, formatCsvRecord, splitUnquoted } from "~/domain/csv/records";

/** What the import reads when a file has quotes: the reference `splitUnquoted` must match. */
const parsed = (text: string, delimiter: string) => parse(text, csvParseOptions(delimiter)) as string[][];
const split = (text: string, delimiter: string) => [...splitUnquoted(text, delimiter)];

describe("splitUnquoted reads a file without quotes exactly as csv-parse does", () => {
  it.each([
    ["", ","],
    ["a", ","],
    ["a,b\n1,2\n", ","],
    ["a,b\n1,2", ","],
    ["a,b\r\n1,2\r\n", ","],
    ["a,b\r1,2\r", ","],
    ["a,b\n\n1,2\n\n", ","],
    ["\n\na,b\n", ","],
    ["a;b\r\n1;2\n3;4\r\n", ";"],
    ["a\tb\n1\r2\t3\n", "\t"],
    ["\uFEFFa,b\n1,2\n", ","],
    [",,\n , \n", ","],
    ["a,b\r\n\r\n", ","],
    ["naïve,日本\n😀,x\n", ","],
  ])("%j", (text, delimiter) => {
    expect(split(text, delimiter)).toEqual(parsed(text, delimiter));
  });

  it("on random files of delimiters, line breaks, spaces and letters", () => {
    const alphabet = ["a", "b", " ", ",", ";", "\t", "\n", "\r", "\r\n", "é"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n += 1) {
      const length = Math.floor(random() * 30);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const delimiter = [",", ";", "\t"][n % 3]!;
      expect(split(text, delimiter), JSON.stringify(text)).toEqual(parsed(text, delimiter));
    }
  });
});

describe("formatCsvRecord", () => {
  it("quotes only the cells that need it", () => {
    expect(formatCsvRecord(["plain", "a,b", 'say "hi"', "two\nlines", ""], ",")).toBe(
      'plain,"a,b","say ""hi""","two\nlines",',
    );
    expect(formatCsvRecord(["a,b", "c;d"], ";")).toBe('a,b;"c;d"');
  });

  it("writes records that read back as the same cells, whatever they hold", () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", " ", ",", ";", "\t", '"', "\n", "\r", "é", "\uFEFF"),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t"),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (delimiter, lineBreak, records) => {
          const text = records.map((cells) => formatCsvRecord(cells, delimiter)).join(lineBreak) + lineBreak;
          const read = text.includes('"') ? parsed(text, delimiter) : split(text, delimiter);
          expect(read).toEqual(records);
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
