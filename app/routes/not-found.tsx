import { translate } from "~/i18n/catalogues.server";
import { currentRequestLocale } from "~/i18n/request-locale.server";
import { refusal } from "~/utils/errors.server";

export function loader() {
  throw refusal(404, translate(currentRequestLocale(), "error.noPage"));
}

export default function NotFound() {
  return null;
}
