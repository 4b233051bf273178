-- The debate's language, set by its facilitator (docs/i18n.md): the default interface language on its pages
-- and the `lang` of its article and arguments. Null: not set (each reader's browser language).
ALTER TABLE "Debate" ADD COLUMN "language" TEXT;
