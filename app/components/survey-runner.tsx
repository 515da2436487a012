import { startTransition, useEffect, useRef, useState } from "react";
import { Model, type Question } from "survey-core";
import { Survey } from "survey-react-ui";
// Registers Rapport's custom properties before any Model is built.
import "~/domain/survey-model";
import { useHydrated } from "~/lib/use-hydrated";

export type SubmitResult = { ok: true } | { ok: false; errors?: Record<string, string[]>; message?: string };

export interface SurveyRunnerProps {
  json: object;
  initialData?: Record<string, unknown>;
  initialPage?: number;
  variables?: Record<string, string>;
  locale?: string;
  /** Called (debounced) as answers change and at once on every page change. */
  onProgress?: (data: Record<string, unknown>, currentPage: number) => void;
  /** The final submit; the survey only completes when this says ok. */
  onSubmit: (data: Record<string, unknown>) => Promise<SubmitResult>;
  /** What the completion screen says (the caller usually replaces it right after). */
  completedHtml?: string;
  progressDelayMs?: number;
  /** The page shows the survey's title and description itself (server-rendered, so they paint first). */
  hideTitle?: boolean;
}

/** SurveyJS's own `--sd-mobile-width`: narrower survey roots get its phone layout. */
const SURVEYJS_MOBILE_WIDTH_PX = 600;

/**
 * A SurveyJS survey, rendered in the browser only: SurveyJS lays itself out from the
 * viewport, so server markup never matches a phone's and would fail hydration (#418).
 * The server renders the page around it; this shows a placeholder until hydrated.
 *
 * On a page's first load the survey is built and drawn after hydration, in tasks of their
 * own (building the model, then rendering it as a transition, which React renders in
 * slices), so that no single task keeps a slow phone's main thread busy for the whole
 * start-up. The placeholder is as tall as the screen, so
 * what follows the survey is not pushed down when it appears, and the model starts in the
 * phone or desktop layout the placeholder's width calls for: SurveyJS would otherwise draw
 * the desktop layout first and redraw itself once it has measured its width.
 */
export function SurveyRunner(props: SurveyRunnerProps) {
  const hydrated = useHydrated();
  const slot = useRef<HTMLDivElement>(null);
  // Mounted after hydration (a client-side navigation, a new key): build the model at once.
  const [model, setModel] = useState<Model | null>(() => (hydrated ? buildModel(props, null) : null));
  const latestProps = useRef(props);
  latestProps.current = props;
  useEffect(() => {
    if (model) return;
    const timer = setTimeout(() => {
      const built = buildModel(latestProps.current, slot.current);
      // A transition: React renders the survey in slices, yielding to the browser between them.
      startTransition(() => setModel(built));
    });
    return () => clearTimeout(timer);
  }, [model]);

  return (
    <div ref={slot}>
      {model ? (
        <ClientSurvey {...props} model={model} />
      ) : (
        <div className="card min-h-screen animate-pulse p-6" aria-busy="true">
          <p className="text-sm text-slate-600">Loading the questions…</p>
          <noscript>
            <p className="mt-2 text-sm text-slate-800">
              This survey needs JavaScript. Please enable it and reload the page.
            </p>
          </noscript>
        </div>
      )}
    </div>
  );
}

function buildModel(
  { json, initialData, initialPage, variables, locale, completedHtml, hideTitle }: SurveyRunnerProps,
  slot: HTMLElement | null,
): Model {
  const survey = new Model(json);
  if (hideTitle) survey.showTitle = false;
  if (slot && slot.offsetWidth > 0) survey.setIsMobile(slot.offsetWidth < SURVEYJS_MOBILE_WIDTH_PX);
  if (locale && survey.getUsedLocales().includes(locale)) survey.locale = locale;
  for (const [name, value] of Object.entries(variables ?? {})) survey.setVariable(name, value);
  if (initialData) survey.data = initialData;
  if (initialPage && initialPage > 0 && initialPage < survey.visiblePageCount)
    survey.currentPageNo = initialPage;
  if (completedHtml) survey.completedHtml = completedHtml;
  // On a phone SurveyJS folds rating scales into a dropdown: two taps and a scroll per
  // answer. Keep them as buttons everywhere.
  for (const question of survey.getAllQuestions()) {
    const rating = question as Question & { displayMode?: string };
    if (question.getType() === "rating" && rating.displayMode === "auto") rating.displayMode = "buttons";
  }
  return survey;
}

function ClientSurvey({
  model,
  onProgress,
  onSubmit,
  progressDelayMs = 800,
}: SurveyRunnerProps & { model: Model }) {
  const latest = useRef({ onProgress, onSubmit });
  latest.current = { onProgress, onSubmit };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(timer);
      latest.current.onProgress?.(model.data, model.currentPageNo);
    };
    const onValueChanged = () => {
      clearTimeout(timer);
      timer = setTimeout(flush, progressDelayMs);
    };
    const onCompleting = async (_: Model, options: { allow: boolean; message?: string }) => {
      clearTimeout(timer);
      const result = await latest.current.onSubmit(model.data);
      if (result.ok) return;
      options.allow = false;
      if (result.errors) showServerErrors(model, result.errors);
      if (result.message) options.message = result.message;
    };
    model.onValueChanged.add(onValueChanged);
    model.onCurrentPageChanged.add(flush);
    model.onCompleting.add(onCompleting);
    return () => {
      clearTimeout(timer);
      model.onValueChanged.remove(onValueChanged);
      model.onCurrentPageChanged.remove(flush);
      model.onCompleting.remove(onCompleting);
    };
  }, [model, progressDelayMs]);

  return <Survey model={model} />;
}

/** Puts the server's per-question messages on the questions and opens the first one. */
function showServerErrors(model: Model, errors: Record<string, string[]>) {
  let first: Question | null = null;
  for (const [name, messages] of Object.entries(errors)) {
    const question = model.getQuestionByName(name);
    if (!question) continue;
    for (const message of messages) question.addError(message);
    first ??= question;
  }
  if (first) model.focusQuestion(first.name);
}
