/**
 * Custom scalars. Calendar dates (birth dates, due dates) are `LocalDate` strings
 * (`YYYY-MM-DD`, Europe/Amsterdam calendar days), never instants, so no time zone can
 * shift them; instants are `DateTimeISO`.
 */
export { GraphQLLocalDate as LocalDate } from 'graphql-scalars';
