// Package deps holds a test that keeps the module's promise about
// dependencies: a program that imports only the library packages compiles
// nothing beyond github.com/shopspring/decimal, github.com/google/uuid and
// the standard library. SQL drivers and test tools belong to tests,
// examples and internal test helpers.
package deps
