import { Outlet } from "@remix-run/react";

/**
 * /surveys and the pages under it (the list in `_app.surveys._index`, a version's preview in
 * `_app.surveys.$versionId.preview`). Flat routes nest every `_app.surveys.*` file in this
 * one, so it only renders the page that matched; the `_app` layout already guards them all.
 */
export default function SurveysLayout() {
  return <Outlet />;
}
