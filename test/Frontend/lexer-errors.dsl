# RUN: not mlc compile %s --split-input-file --emit=ast 2>&1 | FileCheck %s
# Every lexer error, one per split, with its line, column, source line and caret.

model M $ {
}
# CHECK: lexer-errors.dsl:[[@LINE-2]]:9: error: unexpected character '$'
# CHECK-NEXT: model M $ {
# CHECK-NEXT:         ^
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return x * 99999999999999999999 }
}
# CHECK: lexer-errors.dsl:[[@LINE-2]]:49: error: integer literal is too large
# CHECK-NEXT:   def forward(x: f32[N]) -> f32[N] { return x * 99999999999999999999 }
# CHECK-NEXT:                                                 ^~~~~~~~~~~~~~~~~~~~
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return x * 1e999 }
}
# CHECK: lexer-errors.dsl:[[@LINE-2]]:49: error: number is too large
# CHECK-NEXT:   def forward(x: f32[N]) -> f32[N] { return x * 1e999 }
# CHECK-NEXT:                                                 ^~~~~
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return x * 12abc }
}
# CHECK: lexer-errors.dsl:[[@LINE-2]]:49: error: invalid number '12abc'
# CHECK-NEXT:   def forward(x: f32[N]) -> f32[N] { return x * 12abc }
# CHECK-NEXT:                                                 ^~~~~
# -----
import "unterminated
# CHECK: lexer-errors.dsl:[[@LINE-1]]:8: error: unterminated string
# CHECK-NEXT: import "unterminated
# CHECK-NEXT:        ^
# -----
model M ü {
}
# CHECK: lexer-errors.dsl:[[@LINE-2]]:9: error: unexpected character 'ü'
# CHECK-NEXT: model M ü {
# CHECK-NEXT:         ^
