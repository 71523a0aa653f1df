# RUN: mlc compile %s --emit=ast | FileCheck %s
# The syntax tree as parsed: imports, models with parameters, submodules,
# forward signatures and bodies, train items, precedence and keywords.

import "Inputs/empty.dsl"

model Block(d: int, heads: int) {
  ln = LayerNorm(d, eps=1e-6)
  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    let a = -x @ transpose(x, -1, -2) / sqrt(d / heads) + 1
    return ln(a @ x)
  }
}

train fit(model: Block(8, 2)) {
  data x: f32[N, 4, 8]
  init model.ln from "w.safetensors"
  freeze model.ln
  loss = mean(model(x))
  metric m = sum(x, axis=[1, 2], keepdim=true)
  optimizer = Adam(lr=0.01, betas=(0.9, 0.99))
}

# CHECK:      File "{{.*}}ast.dsl"
# CHECK-NEXT:   Import "Inputs/empty.dsl" @5:1
# CHECK-NEXT:   Model Block(d: int, heads: int) @7:7
# CHECK-NEXT:     Submodule ln @8:3
# CHECK-NEXT:       Call @8:8
# CHECK-NEXT:         Name LayerNorm @8:8
# CHECK-NEXT:         Name d @8:18
# CHECK-NEXT:         Keyword eps @8:21
# CHECK-NEXT:           Float 1e-06 @8:25
# CHECK-NEXT:     Def forward @9:7
# CHECK-NEXT:       Arg x f32 @9:18
# CHECK-NEXT:         Name N @9:22
# CHECK-NEXT:         Name T @9:25
# CHECK-NEXT:         Name d @9:28
# CHECK-NEXT:       Result f32 @9:35
# CHECK:            Let a @10:5
# '+' binds loosest; '@' and '/' bind alike, left to right; unary '-' tightest.
# CHECK-NEXT:         Binary '+' @10:13
# CHECK-NEXT:           Binary '/' @10:13
# CHECK-NEXT:             Binary '@' @10:13
# CHECK-NEXT:               Neg @10:13
# CHECK-NEXT:                 Name x @10:14
# CHECK-NEXT:               Call @10:18
# CHECK-NEXT:                 Name transpose @10:18
# CHECK-NEXT:                 Name x @10:28
# CHECK-NEXT:                 Neg @10:31
# CHECK-NEXT:                   Int 1 @10:32
# CHECK-NEXT:                 Neg @10:35
# CHECK-NEXT:                   Int 2 @10:36
# CHECK-NEXT:             Call @10:41
# CHECK-NEXT:               Name sqrt @10:41
# CHECK-NEXT:               Binary '/' @10:46
# CHECK:                Int 1 @10:59
# CHECK-NEXT:       Return @11:5
# CHECK-NEXT:         Call @11:12
# CHECK-NEXT:           Name ln @11:12
# CHECK-NEXT:           Binary '@' @11:15
# CHECK:        Train fit(model) @15:7
# CHECK-NEXT:     Call @15:18
# CHECK-NEXT:       Name Block @15:18
# CHECK-NEXT:       Int 8 @15:24
# CHECK-NEXT:       Int 2 @15:27
# CHECK-NEXT:     Data x f32 @16:11
# CHECK:          Init from "w.safetensors" @17:3
# CHECK-NEXT:       Member .ln @17:8
# CHECK-NEXT:         Name model @17:8
# CHECK-NEXT:     Freeze @18:3
# CHECK:          Setting loss @19:3
# CHECK:          Metric m @20:3
# CHECK:              Keyword axis @20:21
# CHECK-NEXT:           List @20:26
# CHECK-NEXT:             Int 1 @20:27
# CHECK-NEXT:             Int 2 @20:30
# CHECK-NEXT:         Keyword keepdim @20:34
# CHECK-NEXT:           Bool true @20:42
# CHECK:          Setting optimizer @21:3
# CHECK:              Keyword betas @21:29
# CHECK-NEXT:           List @21:35
