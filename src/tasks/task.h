#pragma once
#include "core/config.h"
#include "tasks/dataset.h"

namespace geneft {

// Builds the full sample table of the configured task; UserError on bad parameters
// (p too large, non-prime p for division, missing or malformed relation file, ...).
Dataset make_dataset(const TaskConfig& task);

// Binary operation tables over symbols 0..p-1 (Power et al. 2022; Liu et al. 2022 for plain addition).
Dataset make_binary_op_dataset(const TaskConfig& task);
// Relations on n nodes: every ordered pair, labelled 1 where R(x1, x2) (Baek, Liu, Tegmark 2024).
Dataset make_relation_dataset(const TaskConfig& task);
// Fashion-MNIST images from task.data_dir: a seeded training subset, then the full test set.
Dataset make_fashion_mnist_dataset(const TaskConfig& task);
// Teacher-student regression: points x ~ N(0, I_5) labelled by a random tanh teacher network.
Dataset make_teacher_student_dataset(const TaskConfig& task);

}  // namespace geneft
