import { Form, Link, useNavigation } from "@remix-run/react";
import { FieldError } from "~/components/field-error";
import type { TaskFieldErrors } from "~/domain/interview-tasks.server";
import { humanize } from "~/lib/format";

/**
 * What the account team does with an open task: record the interview, reassign it, name the
 * buyer, move the due date, or cancel it (after asking).
 */
export interface TaskWorkData {
  task: { id: string; assigneeId: string; contactId: string | null; dueOn: string };
  opportunityName: string;
  contactName: string | null;
  assigneeName: string;
  team: { id: string; name: string }[];
  contacts: { id: string; name: string; buyingRole: string }[];
  today: string;
}

export interface TaskActionData {
  intent: "update" | "cancel";
  formError: string | null;
  fieldErrors: TaskFieldErrors;
}

export function TaskWork({ data, result }: { data: TaskWorkData; result?: TaskActionData }) {
  const { task } = data;
  const navigation = useNavigation();
  const pending = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const errors = result?.intent === "update" ? result.fieldErrors : {};
  return (
    <div className="mt-8 space-y-4">
      <section aria-labelledby="record-heading" className="card p-4">
        <h2 id="record-heading" className="font-semibold">
          Hold the interview
        </h2>
        {task.contactId ? (
          <p className="mt-2 text-sm">
            <Link to={`/contacts/${task.contactId}/interview?task=${task.id}`} className="btn-primary">
              Record interview with {data.contactName}
            </Link>
          </p>
        ) : (
          <p className="mt-2 text-sm text-slate-600">
            Choose who to talk to below, then record the interview.
          </p>
        )}
      </section>
      <section aria-labelledby="assign-heading" className="card p-4">
        <h2 id="assign-heading" className="font-semibold">
          Who, with whom, by when
        </h2>
        <Form
          method="post"
          noValidate
          className="mt-3 grid gap-4 sm:grid-cols-3"
          aria-busy={pending("update")}
        >
          <input type="hidden" name="intent" value="update" />
          <SelectField
            id="task-assigneeId"
            name="assigneeId"
            label="Assigned to"
            defaultValue={task.assigneeId}
            error={errors.assigneeId}
            options={[
              ...data.team,
              ...(data.team.some((m) => m.id === task.assigneeId)
                ? []
                : [{ id: task.assigneeId, name: `${data.assigneeName} (not on the team)` }]),
            ].map((m) => ({ value: m.id, label: m.name }))}
          />
          <SelectField
            id="task-contactId"
            name="contactId"
            label="With"
            defaultValue={task.contactId ?? ""}
            error={errors.contactId}
            options={[
              { value: "", label: "Not chosen yet" },
              ...data.contacts.map((c) => ({ value: c.id, label: `${c.name} (${humanize(c.buyingRole)})` })),
            ]}
          />
          <div>
            <label htmlFor="task-dueOn" className="block text-sm font-medium">
              Due
            </label>
            <input
              id="task-dueOn"
              name="dueOn"
              type="date"
              min={data.today}
              className="input mt-1"
              defaultValue={task.dueOn}
              aria-invalid={errors.dueOn ? true : undefined}
              aria-describedby={errors.dueOn ? "task-dueOn-error" : undefined}
            />
            <FieldError id="task-dueOn-error" message={errors.dueOn} />
          </div>
          <div className="sm:col-span-3">
            <button type="submit" className="btn-primary" disabled={pending("update")}>
              {pending("update") ? "Saving…" : "Save"}
            </button>
          </div>
        </Form>
      </section>
      <Form
        method="post"
        className="card p-4"
        onSubmit={(event) => {
          if (!window.confirm(`Cancel the interview about “${data.opportunityName}”? Nobody will hold it.`)) {
            event.preventDefault();
          }
        }}
      >
        <input type="hidden" name="intent" value="cancel" />
        <p className="text-sm text-slate-600">
          Not going to happen (the buyer declined, or left)? Cancel it, so it stops counting as overdue.
        </p>
        <button type="submit" className="btn-secondary mt-2 text-red-700" disabled={pending("cancel")}>
          {pending("cancel") ? "Cancelling…" : "Cancel the interview"}
        </button>
      </Form>
    </div>
  );
}

function SelectField({
  id,
  name,
  label,
  defaultValue,
  error,
  options,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="input mt-1"
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
