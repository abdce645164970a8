"""Writing and speaking submissions: the learner's free answers, checked at once where a machine can
(a text's length, words and forms), scored by a person on the exam's rubric."""
