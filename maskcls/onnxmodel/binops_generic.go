//go:build !amd64 || purego

package onnxmodel

func addRow(dst, a, b []float32, as, bs int) { addRowGo(dst, a, b, as, bs) }

func subRow(dst, a, b []float32, as, bs int) { subRowGo(dst, a, b, as, bs) }

func mulRow(dst, a, b []float32, as, bs int) { mulRowGo(dst, a, b, as, bs) }

func divRow(dst, a, b []float32, as, bs int) { divRowGo(dst, a, b, as, bs) }
