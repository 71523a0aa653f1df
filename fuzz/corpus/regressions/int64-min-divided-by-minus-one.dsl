# INT64_MIN / -1 in a shape expression: signed overflow (SIGFPE on x86).
model M {
  l = Linear((-9223372036854775807 - 1) / -1, 2)
  def forward(x: f32[N, 4]) -> f32[N, 2] { return l(x) }
}
