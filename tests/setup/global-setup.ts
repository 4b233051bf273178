// Placeholder replaced by the database setup (migrations on a fresh test database).
export default async function setup() {}
