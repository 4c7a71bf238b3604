// Everything of the engine in one include.
#pragma once

#include "dagprop/activation.hpp"
#include "dagprop/block.hpp"
#include "dagprop/dataset.hpp"
#include "dagprop/error.hpp"
#include "dagprop/evaluate.hpp"
#include "dagprop/gradient.hpp"
#include "dagprop/init.hpp"
#include "dagprop/loss.hpp"
#include "dagprop/memo.hpp"
#include "dagprop/network.hpp"
#include "dagprop/optimizer.hpp"
#include "dagprop/random.hpp"
#include "dagprop/topology.hpp"
#include "dagprop/trainer.hpp"
