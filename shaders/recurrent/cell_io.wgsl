// What a cell's cell_forward / cell_backward return to the recurrent templates
// (recurrent_forward.wgsl, recurrent_backward.wgsl). saved: up to 6 values per unit
// (the cell file says which); dgx / dgh: input- and hidden-side gate gradients, one
// lane per gate; dc: the carried cell-state gradient; direct: the part of dh_{t-1}
// that does not go through W_hh. cell_forward and cell_backward also take pp: the unit's
// peephole weights (p_i, p_f, p_o, 0), zero unless the layer has peepholes (LSTM only;
// the other cells ignore it).
// provides: CellOut, CellGrad

struct CellOut { h: f32, saved: array<f32, 6> }
struct CellGrad { dgx: vec4<f32>, dgh: vec4<f32>, dc: f32, direct: f32 }
