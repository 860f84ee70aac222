package yookassa_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/creditpay/yookassa-go/internal/leaktest"
	"github.com/creditpay/yookassa-go/yookassa"
)

// personalFields name the fields that hold personal or card data, in every
// type of the package. The exceptions are an organisation's requisites.
var personalFields = map[string]bool{
	"Phone": true, "Email": true, "FullName": true, "INN": true, "FirstName": true, "LastName": true,
	"MiddleName": true, "Birthdate": true, "Number": true, "CSC": true, "Cardholder": true,
	"AccountNumber": true, "UnifiedAccountNumber": true, "Login": true, "ClientIP": true, "MerchantCustomerID": true,
}

var organisationFields = map[string]bool{
	"PaymentOrderRecipient.INN": true, "Supplier.INN": true, "PayerBankDetails.INN": true, "PayerBankDetails.FullName": true,
}

// apiTypes are the struct types a Client's methods take and return, and
// every struct type inside them.
func apiTypes() []reflect.Type {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[yookassa.Client]().PkgPath() || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				walk(f.Type)
			}
		}
	}
	ct := reflect.TypeFor[*yookassa.Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i).Type
		for j := range m.NumIn() {
			walk(m.In(j))
		}
		for j := range m.NumOut() {
			walk(m.Out(j))
		}
	}
	types := make([]reflect.Type, 0, len(seen))
	for t := range seen {
		if t != reflect.TypeFor[yookassa.Client]() {
			types = append(types, t)
		}
	}
	sort.Slice(types, func(i, j int) bool { return types[i].Name() < types[j].Name() })
	return types
}

// fillPersonal sets every exported field of v, at any depth, to something:
// each personal field gets a canary of its own, recorded in canaries with
// the field's name.
func fillPersonal(v reflect.Value, depth int, canaries map[string]string) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.New(v.Type().Elem()))
			fillPersonal(v.Elem(), depth+1, canaries)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw JSON
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillPersonal(s.Index(0), depth+1, canaries)
		v.Set(s)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.String && personalFields[f.Name] && !organisationFields[t.Name()+"."+f.Name] {
				canary := fmt.Sprintf("piiqz%03d", len(canaries))
				canaries[canary] = t.Name() + "." + f.Name
				fv.SetString(canary)
				continue
			}
			fillPersonal(fv, depth+1, canaries)
		}
	}
}

// TestNoTypePrintsPersonalData fills every field of every type the client
// takes or returns, and prints each with every fmt verb and both of slog's
// handlers: no personal or card field may show, in any spelling.
func TestNoTypePrintsPersonalData(t *testing.T) {
	var checked []string
	for _, typ := range apiTypes() {
		ptr := reflect.New(typ)
		canaries := map[string]string{}
		fillPersonal(ptr.Elem(), 0, canaries)
		if len(canaries) == 0 {
			continue
		}
		checked = append(checked, typ.Name())
		secrets := make([]string, 0, len(canaries))
		for c := range canaries {
			secrets = append(secrets, c)
		}
		for _, leak := range leaktest.Leaks(secrets, ptr.Interface(), ptr.Elem().Interface()) {
			c := leak[strings.LastIndex(leak, " ")+1:]
			t.Errorf("%s (%s)", leak, canaries[c])
		}
	}
	// The walk reaches the holders of every kind of data, from the
	// requests and answers of the client's methods.
	for _, name := range []string{"CardData", "PaymentMethodData", "PaymentRequest", "Payment", "Customer", "ReceiptRequest",
		"Passenger", "PayoutCardData", "PayoutDestination", "PersonalDataRequest", "InvoiceDeliveryMethodData", "Receiver"} {
		assert.Contains(t, checked, name)
	}
}
