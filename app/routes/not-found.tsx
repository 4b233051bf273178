import { refusal } from "~/utils/errors.server";

export function loader() {
  throw refusal(404, "There is no page at this address.");
}

export default function NotFound() {
  return null;
}
