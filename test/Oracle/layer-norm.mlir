// layer_norm and layer_norm_grad against the formulas of their op
// descriptions worked out by hand (7 significant digits).
// RUN: mlc-oracle run %s --func forward --set x=1,2,3,4,2,2,2,6 --set w=1,1,2,2 --set b=0,0,0,1 | FileCheck %s --check-prefix=FWD
// RUN: mlc-oracle run %s --func backward --set x=1,2,3,4,2,2,2,6 --set w=1,1,2,2 --set dy=1,0,0,0,0,1,-1,2 | FileCheck %s --check-prefix=BWD

// Row [1,2,3,4]: mean 2.5, biased var 1.25, so xhat = (x - 2.5) / sqrt(1.25 + 1e-5)
// = [-1.341635, -0.4472118, 0.4472118, 1.341635]; then * w + b.
// Row [2,2,2,6]: mean 3, var 3, xhat = [-0.5773493 x3, 1.732048].
// FWD: result 0 y shape [2, 4] values -1.341635{{[0-9]*}} -0.4472118{{[0-9]*}} 0.8944236{{[0-9]*}} 3.683270{{[0-9]*}} -0.5773493{{[0-9]*}} -0.5773493{{[0-9]*}} -1.154698{{[0-9]*}} 4.464095{{[0-9]*}}
func.func @forward(%x: tensor<?x4xf32> {mlc.name = "x"}, %w: tensor<4xf32> {mlc.name = "w"},
                   %b: tensor<4xf32> {mlc.name = "b"}) -> (tensor<?x4xf32> {mlc.name = "y"}) {
  %y = mlc.layer_norm %x, %w, %b eps = 1.000000e-05 : tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * w per row;
// dw = sum over rows of dy * xhat; db = sum over rows of dy.
// BWD: result 0 dx shape [2, 4] values 0.2683303{{[0-9]*}} -0.3577683{{[0-9]*}} -0.08944343{{[0-9]*}} 0.1788815{{[0-9]*}} 0.1924476{{[0-9]*}} 0.7697969{{[0-9]*}} -0.9622509{{[0-9]*}} 6.254596{{[0-9]*}}e-06
// BWD: result 1 dw shape [4] values -1.341635{{[0-9]*}} -0.5773493{{[0-9]*}} 0.5773493{{[0-9]*}} 3.464095{{[0-9]*}}
// BWD: result 2 db shape [4] values 1 1 -1 2
func.func @backward(%x: tensor<?x4xf32> {mlc.name = "x"}, %w: tensor<4xf32> {mlc.name = "w"},
                    %dy: tensor<?x4xf32> {mlc.name = "dy"})
    -> (tensor<?x4xf32> {mlc.name = "dx"}, tensor<4xf32> {mlc.name = "dw"},
        tensor<4xf32> {mlc.name = "db"}) {
  %dx, %dw, %db = mlc.layer_norm_grad %x, %w, %dy eps = 1.000000e-05 : tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>
  return %dx, %dw, %db : tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>
}
