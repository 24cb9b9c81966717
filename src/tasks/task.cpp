#include "tasks/task.h"

namespace geneft {

Dataset make_dataset(const TaskConfig& task) {
  if (task.kind.rfind("rel_", 0) == 0) return make_relation_dataset(task);
  if (task.kind == "fashion_mnist") return make_fashion_mnist_dataset(task);
  if (task.kind == "teacher_student") return make_teacher_student_dataset(task);
  return make_binary_op_dataset(task);
}

}  // namespace geneft
