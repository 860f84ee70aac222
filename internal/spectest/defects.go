package spectest

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Defect is a fault of YooKassa's specification that the validation works
// around.
type Defect struct {
	// Name identifies the defect.
	Name string
	// What it is, and what YooKassa's real answers do instead.
	What string
	// repair fixes it in doc; it reports whether the defect was found, so a
	// test notices when a new edition of the specification fixes it.
	repair func(doc *openapi3.T) bool
}

// Defects are the specification's own faults, repaired in memory before
// any validation.
var Defects = []Defect{
	{
		Name: "invoice-id-default",
		What: "the invoice_id parameter's default ends with a stray \"?>\", longer than its own maxLength 39",
		repair: func(doc *openapi3.T) bool {
			p := doc.Components.Parameters["invoiceId"]
			if p == nil || p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil || p.Value.Schema.Value.Default == nil {
				return false
			}
			p.Value.Schema.Value.Default = nil
			return true
		},
	},
	{
		Name: "webhook-id-length",
		What: "the webhook_id parameter must have 36 characters, but webhooks' identifiers are \"wh-\" and a UUID, 39 " +
			"characters, as in the specification's own Webhook example; the length is not enforced",
		repair: func(doc *openapi3.T) bool {
			p := doc.Components.Parameters["webhookId"]
			if p == nil || p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				return false
			}
			sc := p.Value.Schema.Value
			if sc.MinLength != 36 || sc.MaxLength == nil || *sc.MaxLength != 36 {
				return false
			}
			sc.MinLength, sc.MaxLength, sc.Default = 0, nil, nil
			return true
		},
	},
	{
		Name: "name-pattern-range",
		What: "the pattern of LastName, FirstName and MiddleName has the range \"‐-a\" (from U+2010 down to 'a'), which no regular " +
			"expression engine accepts; the hyphen was meant literally",
		repair: func(doc *openapi3.T) bool {
			found := false
			for _, name := range []string{"LastName", "FirstName", "MiddleName"} {
				if sc := schema(doc, name); sc != nil && strings.Contains(sc.Pattern, "‐-a") {
					sc.Pattern = strings.Replace(sc.Pattern, "‐-a", "‐\\-a", 1)
					found = true
				}
			}
			return found
		},
	},
	{
		Name: "b2b-vat-rate-numbers",
		What: "vat_data.rate of b2b_sberbank is a string whose enum lists numbers (5, 7, 10, 20, 22), so no value is valid; " +
			"YooKassa writes the rate as a string (\"20\")",
		repair: func(doc *openapi3.T) bool {
			sc := schema(doc, "B2bSberbankCalculatedVatData")
			if sc == nil {
				return false
			}
			for _, part := range sc.AllOf {
				rate := part.Value.Properties["rate"]
				if rate == nil || rate.Value == nil || len(rate.Value.Enum) == 0 {
					continue
				}
				if _, isString := rate.Value.Enum[0].(string); isString {
					return false
				}
				for i, v := range rate.Value.Enum {
					rate.Value.Enum[i] = fmt.Sprint(v)
				}
				return true
			}
			return false
		},
	},
	{
		Name: "discriminator-without-mapping",
		What: "the oneOf lists of payment methods, confirmations, receipts and others name \"type\" as their discriminator " +
			"without a mapping, so the implicit mapping (by schema name: \"PaymentMethodBankCard\") never matches the values " +
			"YooKassa writes (\"bank_card\"), and the variants, which all accept any type, all match; the mapping is derived " +
			"from the schema names (PaymentMethodBankCard -> bank_card, PaymentMethodWeChat -> wechat, " +
			"B2bSberbankMixedVatData -> mixed)",
		repair: mapDiscriminators,
	},
	{
		Name: "payout-destination-card-variant",
		What: "Payout.payout_destination is a oneOf of PayoutToCardDestination, PayoutToYooMoneyDestination and " +
			"PayoutToSbpDestination with \"type\" as its discriminator and no mapping; the card variant's name does not " +
			"imply its value (bank_card), and its card is optional, so a yoo_money or sbp destination matches two variants; " +
			"the mapping is the one PayoutDestination itself declares",
		repair: func(doc *openapi3.T) bool {
			sc := schema(doc, "Payout")
			if sc == nil || sc.Properties["payout_destination"] == nil || sc.Properties["payout_destination"].Value == nil {
				return false
			}
			dest := sc.Properties["payout_destination"].Value
			if dest.Discriminator == nil || len(dest.Discriminator.Mapping) > 0 {
				return false
			}
			values := map[string]string{"PayoutToCardDestination": "bank_card", "PayoutToYooMoneyDestination": "yoo_money",
				"PayoutToSbpDestination": "sbp"}
			mapping := map[string]openapi3.MappingRef{}
			for _, v := range dest.OneOf {
				if value, ok := values[strings.TrimPrefix(v.Ref, "#/components/schemas/")]; ok {
					mapping[value] = openapi3.MappingRef(*v)
				}
			}
			if len(mapping) != len(values) {
				return false
			}
			dest.Discriminator.Mapping = mapping
			return true
		},
	},
	{
		Name: "internal-server-error-schema",
		What: "the 500 answer (components/responses/InternalServerError) is described by the TooManyRequests schema, " +
			"whose code may only be too_many_requests; YooKassa's 500 carries code internal_server_error",
		repair: func(doc *openapi3.T) bool {
			r := doc.Components.Responses["InternalServerError"]
			if r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
				return false
			}
			mt := r.Value.Content.Get("application/json")
			if mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/TooManyRequests" {
				return false
			}
			mt.Schema = errorSchema(doc, "internal_server_error")
			return true
		},
	},
	{
		Name: "undocumented-429",
		What: "most operations (payments, refunds, receipts, webhooks, /me, ...) list no 429 answer, though YooKassa " +
			"limits the rate of every endpoint and answers 429 too_many_requests with retry_after",
		repair: func(doc *openapi3.T) bool {
			return addResponse(doc, "429", doc.Components.Responses["TooManyRequests"])
		},
	},
	{
		Name: "undocumented-404",
		What: "some operations on one object by its id (GET /receipts/{receipt_id} among them) list no 404 answer, " +
			"though YooKassa answers 404 not_found for an id it does not know",
		repair: func(doc *openapi3.T) bool {
			notFound := doc.Components.Responses["NotFound"]
			if notFound == nil {
				return false
			}
			added := false
			for path, item := range doc.Paths.Map() {
				if !strings.Contains(path, "{") {
					continue
				}
				for _, op := range item.Operations() {
					if op.Responses.Value("404") == nil {
						op.Responses.Set("404", notFound)
						added = true
					}
				}
			}
			return added
		},
	},
	{
		Name: "undocumented-202",
		What: "no operation lists the 202 answer {\"type\":\"processing\",\"retry_after\":...} that YooKassa's " +
			"SDKs still handle (a request accepted but not finished; repeat it with the same Idempotence-Key)",
		repair: func(doc *openapi3.T) bool {
			processing := openapi3.NewObjectSchema().
				WithProperty("type", openapi3.NewStringSchema().WithEnum("processing")).
				WithProperty("description", openapi3.NewStringSchema()).
				WithProperty("retry_after", openapi3.NewIntegerSchema())
			processing.Required = []string{"type"}
			resp := &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("processing").
				WithJSONSchema(processing)}
			return addResponse(doc, "202", resp)
		},
	},
}

// errorSchema is YooKassa's error object with one code.
func errorSchema(doc *openapi3.T, code string) *openapi3.SchemaRef {
	withCode := openapi3.NewObjectSchema().WithProperty("code", openapi3.NewStringSchema().WithEnum(code))
	return openapi3.NewSchemaRef("", openapi3.NewAllOfSchema(doc.Components.Schemas["Error"].Value, withCode))
}

// addResponse adds resp for status to every operation that lacks it and
// reports whether any did.
func addResponse(doc *openapi3.T, status string, resp *openapi3.ResponseRef) bool {
	if resp == nil {
		return false
	}
	added := false
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses.Value(status) == nil {
				op.Responses.Set(status, resp)
				added = true
			}
		}
	}
	return added
}

// mapDiscriminators gives every discriminator without a mapping the one
// its variants' names imply, keeping only values the specification uses
// somewhere as an enumerated string.
func mapDiscriminators(doc *openapi3.T) bool {
	known := map[string]bool{}
	_ = doc.WalkSchemas(func(_ string, sr *openapi3.SchemaRef) error {
		for _, v := range sr.Value.Enum {
			if s, ok := v.(string); ok {
				known[s] = true
			}
		}
		return nil
	})
	found := false
	_ = doc.WalkSchemas(func(_ string, sr *openapi3.SchemaRef) error {
		sc := sr.Value
		if sc.Discriminator == nil || len(sc.Discriminator.Mapping) > 0 || len(sc.OneOf) < 2 {
			return nil
		}
		names := make([]string, len(sc.OneOf))
		for i, v := range sc.OneOf {
			names[i] = strings.TrimPrefix(v.Ref, "#/components/schemas/")
		}
		prefix := commonPrefix(names)
		rest := make([]string, len(names))
		for i, n := range names {
			rest[i] = strings.TrimPrefix(n, prefix)
		}
		suffix := commonSuffix(rest)
		mapping := map[string]openapi3.MappingRef{}
		for i, v := range sc.OneOf {
			snake := snakeCase(strings.TrimSuffix(rest[i], suffix))
			for _, value := range []string{snake, strings.ReplaceAll(snake, "_", "")} {
				if known[value] {
					mapping[value] = openapi3.MappingRef(*v)
					break
				}
			}
		}
		if len(mapping) == len(sc.OneOf) {
			sc.Discriminator.Mapping = mapping
			found = true
		}
		return nil
	})
	return found
}

// commonPrefix is the longest common prefix of names that ends before an
// upper-case letter of each ("PaymentMethod" of "PaymentMethodBankCard" and
// "PaymentMethodCash").
func commonPrefix(names []string) string {
	prefix := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	for len(prefix) > 0 {
		ok := true
		for _, n := range names {
			if len(n) == len(prefix) || !unicode.IsUpper(rune(n[len(prefix)])) {
				ok = false
				break
			}
		}
		if ok {
			return prefix
		}
		prefix = prefix[:len(prefix)-1]
	}
	return ""
}

// commonSuffix is the longest common suffix of names that starts with an
// upper-case letter and leaves something of each ("VatData" of
// "CalculatedVatData" and "MixedVatData").
func commonSuffix(names []string) string {
	suffix := names[0]
	for _, n := range names[1:] {
		for !strings.HasSuffix(n, suffix) {
			suffix = suffix[1:]
		}
	}
	for len(suffix) > 0 {
		ok := unicode.IsUpper(rune(suffix[0]))
		for _, n := range names {
			ok = ok && len(n) > len(suffix)
		}
		if ok {
			return suffix
		}
		suffix = suffix[1:]
	}
	return ""
}

// snakeCase turns "BankCard" into "bank_card" and "B2bSberbank" into
// "b2b_sberbank".
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// schema is the component schema name (nil if absent).
func schema(doc *openapi3.T, name string) *openapi3.Schema {
	if ref := doc.Components.Schemas[name]; ref != nil {
		return ref.Value
	}
	return nil
}

// repair applies the workaround of every Defect to doc and returns the
// names of those it did not find.
func repair(doc *openapi3.T) (absent []string) {
	for _, d := range Defects {
		if !d.repair(doc) {
			absent = append(absent, d.Name)
		}
	}
	return absent
}
