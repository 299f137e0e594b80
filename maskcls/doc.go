// Package maskcls knows about faces, tasks and classes: the labels and the
// 18-class code of the mask competition, the dataset layout reader, metrics,
// submission files, the Model interface and the Ensemble that combines
// per-task models into one 18-class answer.
//
// Facts about the competition's data follow the official baseline: mask
// states mask1..mask5 (worn), incorrect_mask, normal (not worn); gender male
// or female; age groups <30, 30-59 and 60+; class = 6*mask + 3*gender + age.
package maskcls
