// The company DTOs are contracts (@kapocs/contracts), shared with the portal; imports and external ids read them from here too.
export {
  ADDRESS_KINDS, addressSchema, COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES, companyDetailSchema, companyIdParams, companyNumberErrors, companySchema,
  createCompanySchema, emailSchema, patchCompanySchema, phoneSchema,
  type CompanyDto, type CreateCompanyInput, type PatchCompanyInput,
} from '@kapocs/contracts';
