// The person DTOs are contracts (@kapocs/contracts), shared with the portal; imports and external ids read them from here too.
export {
  createPersonSchema, patchPersonSchema, personIdParams, personSchema, personSummarySchema,
  type CreatePersonInput, type PatchPersonInput, type PersonDto, type PersonSummaryDto,
} from '@kapocs/contracts';
