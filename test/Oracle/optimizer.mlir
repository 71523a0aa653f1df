// adam_update and sgd_update against their op descriptions' formulas,
// worked out by hand for one step (7 significant digits).
// RUN: mlc-oracle run %s --func adam --set p=1,-2 --set g=0.5,0.1 | FileCheck %s --check-prefix=ADAM
// RUN: mlc-oracle run %s --func adamw --set p=1,2 --set g=0.2,-0.3 --set m=0.1,0 --set v=0.01,0 --set step=2 | FileCheck %s --check-prefix=ADAMW
// RUN: mlc-oracle run %s --func adam_l2 --set p=1,2 --set g=0.2,-0.3 --set m=0.1,0 --set v=0.01,0 --set step=2 | FileCheck %s --check-prefix=ADAML2
// RUN: mlc-oracle run %s --func sgd --set p=1,2 --set g=0.5,-1 --set buf=1,1 | FileCheck %s --check-prefix=SGD

// Step 1 from zero state (the default; the step defaults to 1): m = 0.1 g,
// v = 0.001 g^2, so denom = |g| + eps and param -= lr / 0.1 * 0.1 g / (|g| + eps).
// ADAM: result 0 p shape [2] values 0.9000000{{[0-9]*}} -2.099999{{[0-9]*}}
// ADAM: result 1 m shape [2] values 0.05 0.01
// ADAM: result 2 v shape [2] values 0.00025 1e-05
func.func @adam(%p: tensor<2xf32> {mlc.name = "p"}, %g: tensor<2xf32> {mlc.name = "g"},
                %m: tensor<2xf32> {mlc.state = "m"}, %v: tensor<2xf32> {mlc.state = "v"},
                %t: tensor<i64> {mlc.step})
    -> (tensor<2xf32> {mlc.name = "p"}, tensor<2xf32> {mlc.name = "m"}, tensor<2xf32> {mlc.name = "v"}) {
  %p1, %m1, %v1 = mlc.adam_update %p, %g, %m, %v, %t {beta1 = 9.0e-01 : f64, beta2 = 9.99e-01 : f64, eps = 1.0e-08 : f64, lr = 1.0e-01 : f64, weight_decay = 0.0 : f64} : tensor<2xf32>, tensor<i64>
  return %p1, %m1, %v1 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// AdamW at step 2, lr 0.01, weight_decay 0.1: param *= 0.999 first; then
// m = [0.09 + 0.02, -0.03], v = [0.00999 + 0.00004, 0.00009],
// denom = sqrt(v) / sqrt(1 - 0.999^2) + eps, param -= 0.01 / (1 - 0.9^2) * m / denom.
// ADAMW: result 0 p shape [2] values 0.9964153{{[0-9]*}} 2.005441{{[0-9]*}}
// ADAMW: result 1 m shape [2] values 0.11 -0.03
// ADAMW: result 2 v shape [2] values 0.01003 9e-05
func.func @adamw(%p: tensor<2xf32> {mlc.name = "p"}, %g: tensor<2xf32> {mlc.name = "g"},
                 %m: tensor<2xf32> {mlc.state = "m"}, %v: tensor<2xf32> {mlc.state = "v"},
                 %t: tensor<i64> {mlc.step})
    -> (tensor<2xf32> {mlc.name = "p"}, tensor<2xf32> {mlc.name = "m"}, tensor<2xf32> {mlc.name = "v"}) {
  %p1, %m1, %v1 = mlc.adam_update %p, %g, %m, %v, %t {beta1 = 9.0e-01 : f64, beta2 = 9.99e-01 : f64, decoupled, eps = 1.0e-08 : f64, lr = 1.0e-02 : f64, weight_decay = 1.0e-01 : f64} : tensor<2xf32>, tensor<i64>
  return %p1, %m1, %v1 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// Adam with L2 weight decay instead: g += 0.1 * param = [0.3, -0.1].
// ADAML2: result 0 p shape [2] values 0.9971874{{[0-9]*}} 2.007441{{[0-9]*}}
// ADAML2: result 1 m shape [2] values 0.12 -0.01
// ADAML2: result 2 v shape [2] values 0.01008 1e-05
func.func @adam_l2(%p: tensor<2xf32> {mlc.name = "p"}, %g: tensor<2xf32> {mlc.name = "g"},
                   %m: tensor<2xf32> {mlc.state = "m"}, %v: tensor<2xf32> {mlc.state = "v"},
                   %t: tensor<i64> {mlc.step})
    -> (tensor<2xf32> {mlc.name = "p"}, tensor<2xf32> {mlc.name = "m"}, tensor<2xf32> {mlc.name = "v"}) {
  %p1, %m1, %v1 = mlc.adam_update %p, %g, %m, %v, %t {beta1 = 9.0e-01 : f64, beta2 = 9.99e-01 : f64, eps = 1.0e-08 : f64, lr = 1.0e-02 : f64, weight_decay = 1.0e-01 : f64} : tensor<2xf32>, tensor<i64>
  return %p1, %m1, %v1 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// Momentum 0.9, weight_decay 0.01: g' = g + 0.01 p = [0.51, -0.98];
// buf = 0.9 buf + g' = [1.41, -0.08]; p -= 0.1 buf. Without momentum, p -= 0.1 g.
// SGD: result 0 p shape [2] values 0.859 2.008
// SGD: result 1 buf shape [2] values 1.41 -0.08
// SGD: result 2 plain shape [2] values 0.95 2.1
func.func @sgd(%p: tensor<2xf32> {mlc.name = "p"}, %g: tensor<2xf32> {mlc.name = "g"},
               %buf: tensor<2xf32> {mlc.name = "buf"})
    -> (tensor<2xf32> {mlc.name = "p"}, tensor<2xf32> {mlc.name = "buf"}, tensor<2xf32> {mlc.name = "plain"}) {
  %p1, %b1 = mlc.sgd_update %p, %g, %buf {lr = 1.0e-01 : f64, momentum = 9.0e-01 : f64, weight_decay = 1.0e-02 : f64} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %p2 = mlc.sgd_update %p, %g {lr = 1.0e-01 : f64, momentum = 0.0 : f64, weight_decay = 0.0 : f64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %p1, %b1, %p2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}
