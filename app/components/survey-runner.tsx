import { useEffect, useRef, useState } from "react";
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
}

/**
 * A SurveyJS survey, rendered in the browser only: SurveyJS lays itself out from the
 * viewport, so server markup never matches a phone's and would fail hydration (#418).
 * The server renders the page around it; this shows a placeholder until hydrated.
 */
export function SurveyRunner(props: SurveyRunnerProps) {
  const hydrated = useHydrated();
  if (!hydrated) {
    return (
      <div className="card animate-pulse p-6" aria-busy="true">
        <p className="text-sm text-slate-600">Loading the questions…</p>
        <noscript>
          <p className="mt-2 text-sm text-slate-800">
            This survey needs JavaScript. Please enable it and reload the page.
          </p>
        </noscript>
      </div>
    );
  }
  return <ClientSurvey {...props} />;
}

function ClientSurvey({
  json,
  initialData,
  initialPage,
  variables,
  locale,
  onProgress,
  onSubmit,
  completedHtml,
  progressDelayMs = 800,
}: SurveyRunnerProps) {
  const latest = useRef({ onProgress, onSubmit });
  latest.current = { onProgress, onSubmit };

  const [model] = useState(() => {
    const survey = new Model(json);
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
  });

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
