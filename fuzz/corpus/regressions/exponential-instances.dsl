# Each model holds its child twice: 2^30 module instances.
model M0 {
  l = Linear(1, 1)
  def forward(x: f32[N, 1]) -> f32[N, 1] { return l(x) }
}
model M1 {
  a = M0()
  b = M0()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M2 {
  a = M1()
  b = M1()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M3 {
  a = M2()
  b = M2()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M4 {
  a = M3()
  b = M3()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M5 {
  a = M4()
  b = M4()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M6 {
  a = M5()
  b = M5()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M7 {
  a = M6()
  b = M6()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M8 {
  a = M7()
  b = M7()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M9 {
  a = M8()
  b = M8()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M10 {
  a = M9()
  b = M9()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M11 {
  a = M10()
  b = M10()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M12 {
  a = M11()
  b = M11()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M13 {
  a = M12()
  b = M12()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M14 {
  a = M13()
  b = M13()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M15 {
  a = M14()
  b = M14()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M16 {
  a = M15()
  b = M15()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M17 {
  a = M16()
  b = M16()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M18 {
  a = M17()
  b = M17()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M19 {
  a = M18()
  b = M18()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M20 {
  a = M19()
  b = M19()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M21 {
  a = M20()
  b = M20()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M22 {
  a = M21()
  b = M21()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M23 {
  a = M22()
  b = M22()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M24 {
  a = M23()
  b = M23()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M25 {
  a = M24()
  b = M24()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M26 {
  a = M25()
  b = M25()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M27 {
  a = M26()
  b = M26()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M28 {
  a = M27()
  b = M27()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M29 {
  a = M28()
  b = M28()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
model M30 {
  a = M29()
  b = M29()
  def forward(x: f32[N, 1]) -> f32[N, 1] { return b(a(x)) }
}
train t(model: M30) {
  data x: f32[N, 1]
  loss = mse(model(x), x)
  optimizer = Adam()
}
