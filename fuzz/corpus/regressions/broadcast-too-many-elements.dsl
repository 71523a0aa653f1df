# Broadcasting made a tensor of 2^64 elements; reshaping it overflowed.
model M {
  def forward(x: f32[1, 4294967296], y: f32[4294967296, 1]) -> f32[1] {
    let z = x + y
    let w = z + z
    let q = reshape(w, [N, -1])
    return sum(q)
  }
}
