import { index, route, type RouteConfig } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("debates/new", "routes/new-debate.tsx"),
  route("debates/:debateId", "routes/debate.tsx"),
  route("debates/:debateId/edit", "routes/debate-edit.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
