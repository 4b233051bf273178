import { index, route, type RouteConfig } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("debates/new", "routes/new-debate.tsx"),
  route("debates/import", "routes/debate-import.tsx"),
  route("debates/:debateId", "routes/debate.tsx"),
  route("debates/:debateId/arguments/:argumentId", "routes/debate-argument.tsx"),
  route("debates/:debateId/edit", "routes/debate-edit.tsx"),
  route("debates/:debateId/results", "routes/debate-results.tsx"),
  route("debates/:debateId/settings", "routes/debate-settings.tsx"),
  route("join", "routes/join.tsx"),
  route("debates/:debateId/moderation", "routes/debate-moderation.tsx"),
  route("signup", "routes/signup.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("language", "routes/language.tsx"),
  route("account", "routes/account.tsx"),
  route("account/password", "routes/account-password.tsx"),
  route("forgot-password", "routes/forgot-password.tsx"),
  route("reset-password/:token", "routes/reset-password.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
