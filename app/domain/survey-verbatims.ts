/**
 * The customer's own words in a SurveyJS definition and its answers: which questions are free
 * text, what they are titled, and what a response wrote in them. Pure; shared by the account
 * page, the dashboard's verbatim search and Customer 9-1-1.
 */

interface SurveyElement {
  type?: unknown;
  name?: unknown;
  title?: unknown;
  inputType?: unknown;
}

/** Every element of a definition, in the order asked, panels and dynamic panels opened up. */
export function surveyElements(model: unknown): SurveyElement[] {
  const found: SurveyElement[] = [];
  const visit = (node: unknown, isElement: boolean) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, isElement);
      return;
    }
    if (!node || typeof node !== "object") return;
    const element = node as Record<string, unknown>;
    if (isElement) found.push(element);
    for (const key of ["elements", "templateElements", "questions"]) visit(element[key], true);
  };
  const pages = (model as { pages?: unknown } | null)?.pages;
  visit(pages, false);
  return found;
}

/** Notes an interviewer writes for themselves are not the customer's words. */
export function isInterviewerOnly(name: string): boolean {
  return name.startsWith("interviewer_");
}

/** A comment box, or a text box that is not a number. */
export function isFreeText(element: SurveyElement): boolean {
  return element.type === "comment" || (element.type === "text" && element.inputType !== "number");
}

/** An element's title (a plain or localized string), `{company}`-style variables filled in; else its name. */
export function elementTitle(element: SurveyElement, variables: Record<string, string> = {}): string {
  const name = typeof element.name === "string" ? element.name : "";
  let title: unknown = element.title;
  if (title && typeof title === "object") {
    const localized = title as Record<string, unknown>;
    title = localized.default ?? localized.en ?? Object.values(localized).find((v) => typeof v === "string");
  }
  const text = typeof title === "string" && title.trim() !== "" ? title : name;
  return text.replace(/\{(\w+)\}/g, (whole, variable: string) => variables[variable] ?? whole);
}

/** Question titles by name. */
export function questionTitles(
  model: unknown,
  variables: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(
    surveyElements(model)
      .filter((e) => typeof e.name === "string")
      .map((e) => [e.name as string, elementTitle(e, variables)]),
  );
}

/**
 * Where a response can hold the customer's own words, by answer key: free-text questions,
 * and the "other, in their words" box (`<name>-Comment`) of any question. Interviewer-only
 * notes are left out.
 */
export function verbatimQuestions(
  model: unknown,
  variables: Record<string, string> = {},
): Record<string, string> {
  const questions: Record<string, string> = {};
  for (const element of surveyElements(model)) {
    if (typeof element.name !== "string" || isInterviewerOnly(element.name)) continue;
    const title = elementTitle(element, variables);
    if (isFreeText(element)) questions[element.name] = title;
    else questions[`${element.name}-Comment`] = `${title} (in their words)`;
  }
  return questions;
}

/** The customer's own words in one response: each non-empty text answer, in survey order. */
export function verbatimComments(
  model: unknown,
  data: Record<string, unknown>,
  variables: Record<string, string> = {},
): { question: string; title: string; text: string }[] {
  const comments: { question: string; title: string; text: string }[] = [];
  for (const element of surveyElements(model)) {
    if (typeof element.name !== "string") continue;
    const title = elementTitle(element, variables);
    const answer = data[element.name];
    if (isFreeText(element) && typeof answer === "string" && answer.trim()) {
      comments.push({ question: element.name, title, text: answer.trim() });
    }
    const other = data[`${element.name}-Comment`];
    if (typeof other === "string" && other.trim()) {
      comments.push({
        question: `${element.name}-Comment`,
        title: `${title} (in their words)`,
        text: other.trim(),
      });
    }
  }
  return comments;
}
